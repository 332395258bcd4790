package dev.concat.activities.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.http.Abortable;

/**
 * One job's GETs in flight: the bytes they received (what the download heartbeats on, so a slow but
 * live transfer is never taken for a dead one) and when each last received a byte, so one that went
 * silent is cut and resumed while the others keep the heartbeat going.
 */
final class TransferWatch {
  private final AtomicLong received = new AtomicLong();
  private final Set<Transfer> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** One GET's body being read. */
  final class Transfer implements AutoCloseable {
    private final String what;
    private final Abortable body;
    private volatile long lastByteNanos = System.nanoTime();

    private Transfer(String what, Abortable body) {
      this.what = what;
      this.body = body;
    }

    void received(int bytes) {
      lastByteNanos = System.nanoTime();
      received.addAndGet(bytes);
    }

    @Override
    public void close() {
      open.remove(this);
    }
  }

  /** Registers a GET whose body is about to be read; {@code body} is aborted if it stalls. */
  Transfer open(String what, Abortable body) {
    var transfer = new Transfer(what, body);
    open.add(transfer);
    if (closed) {
      body.abort();
    }
    return transfer;
  }

  /** Bytes received by every GET so far. */
  long received() {
    return received.get();
  }

  /** Aborts every GET that received nothing for {@code limit}; returns what they were fetching. */
  List<String> cutStalled(Duration limit) {
    long now = System.nanoTime();
    List<String> cut = new ArrayList<>();
    for (Transfer transfer : open) {
      if (now - transfer.lastByteNanos > limit.toNanos()) {
        // The reading thread sees an error and resumes with a ranged GET; a fresh start for the
        // clock.
        transfer.lastByteNanos = now;
        transfer.body.abort();
        cut.add(transfer.what);
      }
    }
    return cut;
  }

  /** Aborts every GET and refuses to resume any: the download is over. */
  void close() {
    closed = true;
    open.forEach(t -> t.body.abort());
  }

  boolean isClosed() {
    return closed;
  }
}
