package dev.lifeboat.activities.local;

import java.util.regex.Pattern;

/**
 * A WAL segment file name, {@code TTTTTTTTXXXXXXXXYYYYYYYY}: timeline, then the segment number
 * split in two. Assumes initdb's default 16 MB segments, which every cluster this platform
 * creates uses.
 */
public record WalSegment(int timeline, long segno) implements Comparable<WalSegment> {
  public static final long SIZE = 16L * 1024 * 1024;
  private static final long SEGMENTS_PER_XLOGID = 0x1_0000_0000L / SIZE;
  private static final Pattern NAME = Pattern.compile("[0-9A-F]{24}");

  public static boolean isSegmentName(String name) {
    return NAME.matcher(name).matches();
  }

  public static WalSegment parse(String name) {
    if (!isSegmentName(name)) {
      throw new IllegalArgumentException("not a WAL segment name: " + name);
    }
    int tli = Integer.parseUnsignedInt(name.substring(0, 8), 16);
    long log = Long.parseLong(name.substring(8, 16), 16);
    long seg = Long.parseLong(name.substring(16, 24), 16);
    return new WalSegment(tli, log * SEGMENTS_PER_XLOGID + seg);
  }

  /** The segment holding an LSN such as {@code 0/3000028}. */
  public static WalSegment ofLsn(int timeline, long lsn) {
    return new WalSegment(timeline, lsn / SIZE);
  }

  public static long parseLsn(String lsn) {
    String[] parts = lsn.trim().split("/");
    return (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
  }

  public String name() {
    return String.format("%08X%08X%08X", timeline, segno / SEGMENTS_PER_XLOGID, segno % SEGMENTS_PER_XLOGID);
  }

  /** First LSN past this segment. */
  public long endLsn() {
    return (segno + 1) * SIZE;
  }

  public long startLsn() {
    return segno * SIZE;
  }

  public WalSegment withSegno(long newSegno) {
    return new WalSegment(timeline, newSegno);
  }

  @Override
  public int compareTo(WalSegment o) {
    int bySegno = Long.compare(segno, o.segno);
    return bySegno != 0 ? bySegno : Integer.compare(timeline, o.timeline);
  }

  @Override
  public String toString() {
    return name();
  }
}
