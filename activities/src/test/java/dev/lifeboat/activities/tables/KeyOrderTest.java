package dev.lifeboat.activities.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyOrderTest {
  @Test
  void compareCodePoints_ordersLikeUtf8Bytes_whichIsWhatCollateCDoes() {
    Random random = new Random(7);
    int[] pool = {'a', 'B', 'z', '0', ' ', 0xE9, 0x4E2D, 0xD7FF, 0xE000, 0xFFFD, 0x1F600, 0x10400, 0x7F};
    for (int i = 0; i < 20_000; i++) {
      String a = randomString(random, pool);
      String b = randomString(random, pool);
      int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
          b.getBytes(StandardCharsets.UTF_8)));
      assertThat(Integer.signum(KeyOrder.compareCodePoints(a, b))).as("%s vs %s", a, b).isEqualTo(expected);
    }
  }

  @Test
  void compare_ordersIntegersAsNumbers_thenTextByCodePoint() {
    KeyOrder order = new KeyOrder(List.of(KeyOrder.Kind.INTEGER, KeyOrder.Kind.TEXT));

    assertThat(order.compare(new Object[] {9L, "b"}, new Object[] {10L, "a"})).isNegative();
    assertThat(order.compare(new Object[] {10L, "B"}, new Object[] {10L, "a"})).isNegative();
    assertThat(order.compare(new Object[] {10L, "a"}, new Object[] {10L, "a"})).isZero();
  }

  @Test
  void kindOf_treatsOnlyIntegerTypesAsNumbers() {
    assertThat(KeyOrder.kindOf("bigint")).isEqualTo(KeyOrder.Kind.INTEGER);
    assertThat(KeyOrder.kindOf("smallint")).isEqualTo(KeyOrder.Kind.INTEGER);
    assertThat(KeyOrder.kindOf("numeric(10,0)")).isEqualTo(KeyOrder.Kind.TEXT);
    assertThat(KeyOrder.kindOf("uuid")).isEqualTo(KeyOrder.Kind.TEXT);
  }

  private static String randomString(Random random, int[] pool) {
    StringBuilder s = new StringBuilder();
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      s.appendCodePoint(pool[random.nextInt(pool.length)]);
    }
    return s.toString();
  }
}
