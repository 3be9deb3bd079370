/** The twinning wrappers: dynamic proxies running another candidate beside the chosen one (private). */
package io.tttv2.testing.twinning;
