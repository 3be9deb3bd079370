/** The profiling wrappers: dynamic proxies around module factories and modules (private to the bundle). */
package io.tttv2.testing.profiling;
