package io.swarmshare;

import io.swarmshare.api.SwarmClient;
import io.swarmshare.testkit.ApiSignatures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The exported API of {@code io.swarmshare.api} and {@code io.swarmshare} matches the signature
 * files committed beside their poms, so no change to it passes the build unnoticed.
 */
class PublicApiTest {
  private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));

  @Test
  void apiModuleMatchesItsCommittedSignatures() {
    ApiSignatures.check(ApiSignatures.ofModule(SwarmClient.class),
        BASEDIR.resolve("../swarmshare-api/api-signatures.txt"));
  }

  @Test
  void implModuleMatchesItsCommittedSignatures() {
    ApiSignatures.check(ApiSignatures.ofModule(SwarmShare.class), BASEDIR.resolve("api-signatures.txt"));
  }
}
