/**
 * The validating wrappers (one per module kind, each implementing the kind's interface around the real
 * module) and the factories that create them. Private to the testing bundle.
 */
package io.tttv2.testing.validating;
