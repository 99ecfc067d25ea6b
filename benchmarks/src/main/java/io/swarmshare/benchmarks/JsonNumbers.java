package io.swarmshare.benchmarks;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** How the command-line benchmarks write measured numbers into their JSON reports. */
public final class JsonNumbers {
  private JsonNumbers() {}

  /** Writes {@code v} rounded to 4 decimals, or null for NaN, which JSON cannot hold. */
  public static void write(JsonGenerator g, String name, double v) throws IOException {
    if (Double.isNaN(v)) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, round(v, 4));
    }
  }

  /** {@code v} rounded to {@code digits} decimals. */
  public static double round(double v, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(v * scale) / scale;
  }
}
