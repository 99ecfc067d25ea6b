package io.swarmshare.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.swarmshare.api.SwarmException;
import org.junit.jupiter.api.Test;

/** Issue 15, attack 6: what a terminal is shown of names, messages and JSON. */
class TerminalTextTest {
  @Test
  void ordinaryNamesInAnyScriptAreShownAsTheyAre() {
    for (String s : new String[] {"report.pdf", "Bericht über Äpfel.txt", "отчёт.doc", "报告.pdf", "تقرير.pdf",
        "photo \uD83D\uDE00.jpg", "tab-less name with spaces"}) {
      assertSame(s, TerminalText.escape(s), s);
    }
  }

  @Test
  void bidiControlsAreEscapedVisibly() {
    assertEquals("report\\u202Eexe.pdf", TerminalText.escape("report\u202Eexe.pdf"));
    String[] bidi = {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200E", "\u200F", "\u061C"};
    for (String c : bidi) {
      assertEquals(String.format("a\\u%04Xb", (int) c.charAt(0)), TerminalText.escape("a" + c + "b"));
    }
  }

  @Test
  void invisibleCharactersAreEscapedVisibly() {
    assertEquals("a\\u200Bb\\u200Cc\\u200Dd\\uFEFFe\\u2060f\\u00ADg", TerminalText.escape("a\u200Bb\u200Cc\u200Dd\uFEFFe\u2060f\u00ADg"));
    assertEquals("\\u3164\\u115F\\u1160\\uFFA0\\u034F", TerminalText.escape("\u3164\u115F\u1160\uFFA0\u034F"),
        "fillers that render as nothing");
    assertEquals("tag\\U000E0041", TerminalText.escape("tag" + new String(Character.toChars(0xE0041))), "tags");
    assertEquals("\\U0010FFFE", TerminalText.escape(new String(Character.toChars(0x10FFFE))), "unassigned");
  }

  @Test
  void controlsLineBreaksAndLoneSurrogatesAreEscaped() {
    assertEquals("a\\u001B[31mred\\u0007", TerminalText.escape("a\u001B[31mred\u0007"));
    assertEquals("one\\ntwo\\rthree\\tfour", TerminalText.escape("one\ntwo\rthree\tfour"));
    assertEquals("\\u007F\\u0085\\u009B", TerminalText.escape("\u007F\u0085\u009B"), "DEL and C1 controls");
    assertEquals("x\\u2028y\\u2029", TerminalText.escape("x\u2028y\u2029"), "line and paragraph separators");
    assertEquals("\\uD800 and \\uDC00", TerminalText.escape("\uD800 and \uDC00"));
  }

  @Test
  void aBackslashIsEscapedSoEveryEscapeIsUnambiguous() {
    // A name that spells an escape is told apart from the character it spells.
    assertEquals("\\\\u202E", TerminalText.escape("\\u202E"));
    assertEquals("\\u202E", TerminalText.escape("\u202E"));
    assertEquals("C:\\\\dir", TerminalText.escape("C:\\dir"));
  }

  @Test
  void messagesKeepTheirLineBreaksAndLoseEverythingElse() {
    assertEquals("first\nsecond \\u202Eeman\\u001B", TerminalText.escapeKeepingLines("first\nsecond \u202Eeman\u001B"));
    assertEquals("swarmshare-free \\u202E\nline", Errors.message(new SwarmException("swarmshare-free \u202E\nline")));
    assertEquals("already \\u202E", Errors.message(new Errors.Escaped("already \\u202E")), "composed escaped: as is");
  }

  @Test
  void jsonStaysExactAndEscapesWhatATerminalWouldObey() throws Exception {
    String name = "bell\u0007 esc\u001B del\u007F csi\u009B rlo\u202E zwsp\u200B ls\u2028 \u00E9 \uD83D\uDE00 \\";
    String line = Json.object().put("name", name).toString();
    for (String escaped : new String[] {"\\u0007", "\\u001B", "\\u007F", "\\u009B", "\\u202E", "\\u200B", "\\u2028"}) {
      assertTrue(line.contains(escaped), escaped + " in " + line);
    }
    assertTrue(line.chars().noneMatch(c -> TerminalText.unsafe(c) && !Character.isSurrogate((char) c)), line);
    assertTrue(line.contains("\u00E9 \uD83D\uDE00 \\\\"), "the rest is written as it is: " + line);
    try (JsonParser p = new JsonFactory().createParser(line)) {
      assertEquals(JsonToken.START_OBJECT, p.nextToken());
      assertEquals("name", p.nextFieldName());
      assertEquals(JsonToken.VALUE_STRING, p.nextToken());
      assertEquals(name, p.getText(), "decodes to exactly the name");
    }
  }
}
