package io.swarmshare.benchmarks.tracker;

import io.swarmshare.api.Tracker;
import io.swarmshare.api.UnknownFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Offers the population's requests open-loop: request i of a phase is due at
 * {@code start + i / rate}, whatever happened to the ones before it, and is handed at that time
 * to its peer, which makes its requests one after the other on a thread of its own, as a client
 * does (a download announces, then asks for peers); its latency runs from when it was due to
 * when its reply came, so time spent queued behind the peer's previous request counts too.
 * A tracker that stalls therefore shows its whole queue in the figures instead of slowing the
 * load down and hiding it (coordinated omission). Requests still unanswered shortly after a
 * phase ends are counted as unanswered, with the time they had waited as their latency.
 *
 * <p>The schedule goes on where the last phase stopped, so every (peer, file) pair keeps
 * announcing in turn across phases. One thread runs phases; each peer's requests run on that
 * peer's virtual thread. {@link #close()} stops those threads.
 */
final class OpenLoop implements AutoCloseable {
  /** How long after a phase its late replies still count (as answered late). */
  static final Duration DRAIN = Duration.ofSeconds(2);
  /** How long to wait for every request of a phase before the next starts (the client's own timeout, and some). */
  private static final Duration SETTLE = Duration.ofSeconds(35);
  private static final long PROGRESS_NANOS = 250_000_000L;

  /**
   * The figures of one phase.
   *
   * @param offeredRate requests offered per second, every kind
   * @param seconds how long requests were offered
   * @param offered requests offered
   * @param offeredAnnounces announces among them
   * @param answeredInTime successful replies that came before the phase ended
   * @param answeredInTimeAnnounces announces among them
   * @param unanswered requests without a reply {@link #DRAIN} after the phase ended
   * @param errors requests that failed (refused, timed out, connection lost)
   * @param firstErrors the first few failures' messages
   * @param announce latency of every announce, in nanoseconds from when it was due
   * @param peers latency of every peers query, likewise
   * @param trackerCpuNanos CPU the tracker process used over the phase, or negative if unknown
   * @param generatorCpuNanos CPU this process (the load generator) used over the phase, or negative
   */
  record Phase(double offeredRate, double seconds, long offered, long offeredAnnounces, long answeredInTime,
      long answeredInTimeAnnounces, long unanswered, long errors, List<String> firstErrors, Histogram announce,
      Histogram peers, long trackerCpuNanos, long generatorCpuNanos) {
    double achievedRate() {
      return answeredInTime / seconds;
    }

    double offeredAnnounceRate() {
      return offeredAnnounces / seconds;
    }

    double achievedAnnounceRate() {
      return answeredInTimeAnnounces / seconds;
    }

    /** Bounded announce p99, enough answered and few errors: the tracker kept up with this rate. */
    boolean sustained(Duration p99Bound) {
      return offered > 0 && announce.getValueAtPercentile(99) <= p99Bound.toNanos()
          && answeredInTime >= 0.95 * offered && errors <= offered / 1000;
    }
  }

  private final Population population;
  private final Tracker[] clients;
  private final LongSupplier trackerCpu;
  private final List<BlockingQueue<Request>> queues = new ArrayList<>();
  private final List<Thread> peerThreads = new ArrayList<>();
  private final AtomicInteger running = new AtomicInteger();
  private int cursor;

  OpenLoop(Population population, Tracker[] clients, LongSupplier trackerCpu) {
    this.population = population;
    this.clients = clients;
    this.trackerCpu = trackerCpu;
    ThreadFactory threads = Thread.ofVirtual().name("tracker-bench-peer-", 0).factory();
    for (int p = 0; p < clients.length; p++) {
      BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
      queues.add(queue);
      Thread t = threads.newThread(() -> serve(queue));
      peerThreads.add(t);
      t.start();
    }
  }

  /** One peer's thread: its requests in the order they fell due. */
  private void serve(BlockingQueue<Request> queue) {
    try {
      while (true) {
        perform(queue.take());
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  /** Stops the peers' threads; requests still queued are dropped. */
  @Override
  public void close() {
    peerThreads.forEach(Thread::interrupt);
  }

  /** The figures being gathered for one phase; requests that end late still find theirs. */
  private static final class Tally {
    final Histogram announce = new ConcurrentHistogram(3);
    final Histogram peers = new ConcurrentHistogram(3);
    final Set<Request> inFlight = ConcurrentHashMap.newKeySet();
    final LongAdder answeredInTime = new LongAdder();
    final LongAdder answeredInTimeAnnounces = new LongAdder();
    final LongAdder unanswered = new LongAdder();
    final LongAdder errors = new LongAdder();
    final List<String> firstErrors = new CopyOnWriteArrayList<>();
    final long end;

    Tally(long end) {
      this.end = end;
    }
  }

  private record Request(Population.Op op, long due, Tally tally, AtomicBoolean done) {
    boolean isAnnounce() {
      return op.kind() != Population.Kind.PEERS;
    }
  }

  /**
   * Offers requests at {@code rate} per second for {@code length}, waits up to {@link #DRAIN}
   * for the last replies, and returns the phase's figures.
   *
   * @param progress told a line of progress a few times a second
   */
  Phase run(double rate, Duration length, Consumer<String> progress) throws InterruptedException {
    settle();
    List<Population.Op> schedule = population.schedule;
    long cpu0 = trackerCpu.getAsLong();
    long self0 = selfCpu();
    long start = System.nanoTime() + 1_000_000;
    long end = start + length.toNanos();
    Tally tally = new Tally(end);
    double period = 1e9 / rate;
    long offered = 0;
    long offeredAnnounces = 0;
    long nextProgress = start;
    for (long i = 0; ; i++) {
      long due = start + (long) (i * period);
      if (due - end >= 0) {
        break;
      }
      long now;
      while ((now = System.nanoTime()) < due) {
        LockSupport.parkNanos(due - now);
      }
      Population.Op op = schedule.get(cursor);
      cursor = (cursor + 1) % schedule.size();
      Request r = new Request(op, due, tally, new AtomicBoolean());
      tally.inFlight.add(r);
      running.incrementAndGet();
      queues.get(op.peer()).add(r);
      offered++;
      if (r.isAnnounce()) {
        offeredAnnounces++;
      }
      if (now - nextProgress >= 0) {
        nextProgress = now + PROGRESS_NANOS;
        progress.accept(String.format(java.util.Locale.ROOT, "%.0f requests/s offered, %d of %d answered, %.0f s left",
            rate, tally.answeredInTime.sum(), offered, (end - now) / 1e9));
      }
    }
    long drainUntil = end + DRAIN.toNanos();
    while (!tally.inFlight.isEmpty() && System.nanoTime() < drainUntil) {
      Thread.sleep(10);
    }
    for (Request r : tally.inFlight) {
      if (r.done.compareAndSet(false, true)) {
        tally.inFlight.remove(r);
        tally.unanswered.increment();
        (r.isAnnounce() ? tally.announce : tally.peers).recordValue(System.nanoTime() - r.due);
      }
    }
    long cpu1 = trackerCpu.getAsLong();
    long self1 = selfCpu();
    return new Phase(rate, length.toNanos() / 1e9, offered, offeredAnnounces, tally.answeredInTime.sum(),
        tally.answeredInTimeAnnounces.sum(), tally.unanswered.sum(), tally.errors.sum(),
        List.copyOf(tally.firstErrors), tally.announce.copy(), tally.peers.copy(),
        cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0, self0 < 0 || self1 < 0 ? -1 : self1 - self0);
  }

  /** Waits (up to the client's timeout) until no request of an earlier phase is still running. */
  void settle() throws InterruptedException {
    long until = System.nanoTime() + SETTLE.toNanos();
    while (running.get() > 0 && System.nanoTime() < until) {
      Thread.sleep(10);
    }
  }

  private void perform(Request r) {
    if (r.done().get()) {
      running.decrementAndGet(); // counted unanswered when its phase ended: the tracker is behind, skip it
      return;
    }
    Population.Op op = r.op();
    Exception failure = null;
    try {
      Tracker t = clients[op.peer()];
      if (r.isAnnounce()) {
        try {
          t.announce(population.announcement(op));
        } catch (UnknownFileException forgotten) {
          // As the real client does: a tracker that forgot the file (a registration nobody
          // announced within 30 s expires) is told about it again, then announced to.
          t.register(population.manifests[op.file()], population.names[op.file()]);
          t.announce(population.announcement(op));
        }
      } else {
        t.peers(population.manifests[op.file()].id(), BenchOptions.PEERS_ASKED);
      }
    } catch (Exception e) {
      failure = e;
    } finally {
      long now = System.nanoTime();
      Tally tally = r.tally();
      if (r.done().compareAndSet(false, true)) {
        tally.inFlight.remove(r);
        (r.isAnnounce() ? tally.announce : tally.peers).recordValue(Math.max(0, now - r.due()));
        if (failure != null) {
          tally.errors.increment();
          if (tally.firstErrors.size() < 3) {
            tally.firstErrors.add(op.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + failure.getMessage());
          }
        } else if (now - tally.end <= 0) {
          tally.answeredInTime.increment();
          if (r.isAnnounce()) {
            tally.answeredInTimeAnnounces.increment();
          }
        }
      }
      running.decrementAndGet();
    }
  }

  /** CPU time of this process so far, in nanoseconds, or -1 if the system does not say. */
  static long selfCpu() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }
}
