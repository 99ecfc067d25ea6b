package io.swarmshare.internal.download;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which peer a download with every slot taken lets go ({@link DownloadTask#leastUseful}). */
class PeerRotationTest {
  @Test
  void theLeastUsefulPeerGoesWhenItDeliveredUnderHalfTheAverage() {
    assertEquals(2, DownloadTask.leastUseful(List.of(4_000_000L, 3_000_000L, 100_000L, 5_000_000L)));
    assertEquals(1, DownloadTask.leastUseful(List.of(1_000_000L, 0L)), "a peer that sent nothing while another did");
  }

  @Test
  void peersThatPullTheirWeightAllStay() {
    assertEquals(-1, DownloadTask.leastUseful(List.of(1_000_000L, 900_000L, 1_100_000L, 600_000L)),
        "600 KB is over half the average of 900 KB");
    assertEquals(-1, DownloadTask.leastUseful(List.of(0L, 0L, 0L)), "nobody delivered: no one is worse");
  }

  @Test
  void oneOrNoPeerIsNeverLetGo() {
    assertEquals(-1, DownloadTask.leastUseful(List.of()));
    assertEquals(-1, DownloadTask.leastUseful(List.of(0L)));
  }
}
