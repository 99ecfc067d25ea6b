package io.swarmshare.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeNamesTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "../../etc/passwd|passwd", "..\\x|x", "..|FALLBACK", ".|FALLBACK", "/|FALLBACK", "C:\\Windows\\evil.dll|evil.dll",
      "CON|_CON", "con.txt|_con.txt", "LPT1.log|_LPT1.log", "report.pdf|report.pdf", "a:b|a_b", "trailing. . |trailing",
      ".bashrc|bashrc", "what?*|what__"})
  void reducesNamesToOneSafeElement(String in, String expected) {
    assertEquals(expected, SafeNames.sanitize(in, "FALLBACK"));
  }

  @Test
  void controlCharactersBecomeUnderscores() {
    assertEquals("a_b_c", SafeNames.sanitize("a\u0000b\nc", "x"));
    assertEquals("x_y", SafeNames.sanitize("x\u202Ey", "f"), "bidi override is a format character");
  }

  @Test
  void longNamesAreCutOnCharacterBoundaries() {
    String s = SafeNames.sanitize("\u00e9".repeat(300), "x");
    assertTrue(s.getBytes(StandardCharsets.UTF_8).length <= SafeNames.MAX_BYTES);
    assertEquals(SafeNames.MAX_BYTES / 2, s.length());
  }

  @Test
  void randomInputNeverEscapesTheDirectory() {
    Random r = new Random(1);
    Path dir = Path.of("/srv/downloads");
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = r.nextInt(40);
      for (int k = 0; k < n; k++) {
        String alphabet = "./\\:\u0000ab.C";
        b.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String safe = SafeNames.sanitize(b.toString(), "fallback");
      Path p = dir.resolve(safe).normalize();
      assertEquals(dir, p.getParent(), "for input " + b);
      assertFalse(safe.isEmpty());
    }
  }
}
