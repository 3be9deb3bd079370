package io.tttv2.testing.metrics;

/**
 * The result of {@code allclose(actual, expected, rtol, atol)}: |a − e| ≤ atol + rtol·|e| everywhere.
 *
 * @param close       true if every element is within tolerance (NaN equals NaN, same-signed Inf equal)
 * @param maxAtolDelta largest amount by which |a − e| exceeded atol + rtol·|e| (≤ 0 when close)
 * @param requiredAtol the smallest atol that would have passed with this rtol
 * @param requiredRtol the smallest rtol that would have passed with this atol (Inf if an expected zero fails)
 * @param violations  elements out of tolerance
 */
public record AllClose(boolean close, double maxAtolDelta, double requiredAtol, double requiredRtol, long violations) {
}
