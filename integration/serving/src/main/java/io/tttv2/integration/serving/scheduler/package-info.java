/**
 * Continuous batching of many requests over one model runner: {@link io.tttv2.integration.serving.scheduler.Scheduler}
 * with {@link io.tttv2.integration.serving.scheduler.SchedulerConfig}; each request's output goes to its
 * {@link io.tttv2.integration.serving.scheduler.SequenceListener}. Used by the HTTP server and by batch jobs
 * over many rows.
 */
@Export
@Version("1.0.0")
package io.tttv2.integration.serving.scheduler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
