package io.swarmshare.redis;

import io.swarmshare.testkit.ApiSignatures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The API of the Redis module (an automatic module: every package is exported) matches the
 * signature file committed beside its pom.
 */
class PublicApiTest {
  @Test
  void redisModuleMatchesItsCommittedSignatures() {
    ApiSignatures.check(ApiSignatures.ofAutomaticModule(RedisTracker.class),

        Path.of(System.getProperty("basedir", "."), "api-signatures.txt"));
  }
}
