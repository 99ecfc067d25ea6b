package io.swarmshare.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ValuesTest {
  @Test
  void fileIdAcceptsOnlyLowerCaseHexButParseIsLenient() {
    String hex = "ab".repeat(32);
    assertEquals(hex, FileId.parse("  " + hex.toUpperCase() + "\n").hex());
    assertThrows(IllegalArgumentException.class, () -> new FileId(hex.toUpperCase()));
    assertThrows(IllegalArgumentException.class, () -> new FileId("ab"));
    assertThrows(IllegalArgumentException.class, () -> FileId.parse("zz".repeat(32)));
  }

  @Test
  void peerAddressParsesHostPortIpv6AndDefaults() {
    assertEquals(new PeerAddress("127.0.0.1", 8888), PeerAddress.parse("127.0.0.1", 8888));
    assertEquals(new PeerAddress("tracker.local", 9000), PeerAddress.parse("tracker.local:9000", 8888));
    assertEquals(new PeerAddress("::1", 7000), PeerAddress.parse("[::1]:7000", 8888));
    assertEquals("[::1]:7000", new PeerAddress("::1", 7000).toString());
    assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse("host:http", 1));
    assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse("host:70000", 1));
    assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse("", 1));
  }

  @Test
  void peerIdRejectsControlCharactersAndLongValues() {
    assertEquals(32, PeerId.random().value().length());
    assertThrows(IllegalArgumentException.class, () -> new PeerId("a\nb"));
    assertThrows(IllegalArgumentException.class, () -> new PeerId("x".repeat(65)));
    assertThrows(IllegalArgumentException.class, () -> new PeerId(""));
  }
}
