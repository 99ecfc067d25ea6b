package io.swarmshare.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.swarmshare.api.ClientStats;
import io.swarmshare.api.SwarmClient;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Binds a {@link SwarmClient}'s counters ({@link SwarmClient#stats()}) to a Micrometer
 * {@link MeterRegistry}, so a service that embeds a client exports them with its own metrics:
 *
 * <pre>{@code
 * new SwarmClientMetrics(client).bindTo(registry);
 * }</pre>
 *
 * <p>Meters (Prometheus names in brackets): {@code swarmshare.client.uploaded} and
 * {@code swarmshare.client.downloaded}, bytes ({@code swarmshare_client_uploaded_bytes_total},
 * {@code swarmshare_client_downloaded_bytes_total}); {@code swarmshare.client.downloads.completed}
 * and {@code .failed}, counters; {@code swarmshare.client.downloads.active},
 * {@code swarmshare.client.shared.files} and {@code swarmshare.client.peer.connections}, gauges.
 * Each reads a fresh snapshot when the registry asks, so binding costs nothing between scrapes.
 * The meters hold the client weakly, as Micrometer's function meters do: a closed, collected
 * client's meters read NaN.
 */
public final class SwarmClientMetrics implements MeterBinder {
  private final SwarmClient client;
  private final Tags tags;

  /**
   * Meters for {@code client}, tagged with its peer id.
   *
   * @param client the client whose stats the meters read
   */
  public SwarmClientMetrics(SwarmClient client) {
    this(client, Tags.of("peer", client.id().value()));
  }

  /**
   * Meters for {@code client} with the given tags (for example the service's own).
   *
   * @param client the client whose stats the meters read
   * @param tags the tags every meter carries
   */
  public SwarmClientMetrics(SwarmClient client, Iterable<Tag> tags) {
    this.client = Objects.requireNonNull(client, "client");
    this.tags = Tags.of(tags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    counter(registry, "swarmshare.client.uploaded", "Bytes of chunks sent to other peers", BaseUnits.BYTES,
        s -> s.bytesUploaded());
    counter(registry, "swarmshare.client.downloaded", "Bytes of chunks received and verified (not resumed ones)",
        BaseUnits.BYTES, s -> s.bytesDownloaded());
    counter(registry, "swarmshare.client.downloads.completed", "Downloads that finished with a verified file", null,
        s -> s.completedDownloads());
    counter(registry, "swarmshare.client.downloads.failed", "Downloads that failed or were cancelled", null,
        s -> s.failedDownloads());
    gauge(registry, "swarmshare.client.downloads.active", "Downloads running now", s -> s.activeDownloads());
    gauge(registry, "swarmshare.client.shared.files", "Files served now", s -> s.sharedFiles());
    gauge(registry, "swarmshare.client.peer.connections", "Connections to and from peers open now",
        s -> s.peerConnections());
  }

  private void counter(MeterRegistry registry, String name, String help, @Nullable String unit,
      ToDoubleFunction<ClientStats> f) {
    FunctionCounter.Builder<SwarmClient> b = FunctionCounter.builder(name, client, c -> f.applyAsDouble(c.stats()))
        .description(help).tags(tags);
    if (unit != null) {
      b.baseUnit(unit);
    }
    b.register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String help, ToDoubleFunction<ClientStats> f) {
    Gauge.builder(name, client, c -> f.applyAsDouble(c.stats())).description(help).tags(tags).register(registry);
  }
}
