package io.tttv2.testing.validation;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The outcome of one {@link CustomMetric} on one call.
 *
 * @param name   the metric's name
 * @param value  what it measured
 * @param passed its verdict
 */
@ProviderType
public record MetricResult(String name, double value, boolean passed) {
}
