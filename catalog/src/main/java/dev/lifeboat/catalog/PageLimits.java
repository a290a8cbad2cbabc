package dev.lifeboat.catalog;

/** Bounds of a page size, so no caller can ask the catalog for an unbounded list. */
public final class PageLimits {
  public static final int DEFAULT = 50;
  public static final int MAX = 200;

  private PageLimits() {}

  /** The requested size forced into 1..{@value #MAX}. */
  public static int clamp(int requested) {
    return Math.max(1, Math.min(MAX, requested));
  }
}
