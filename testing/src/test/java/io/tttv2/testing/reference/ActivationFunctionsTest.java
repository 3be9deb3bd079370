package io.tttv2.testing.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.api.ops.Activation;
import org.junit.jupiter.api.Test;

class ActivationFunctionsTest {

    @Test
    void erfMatchesTabulatedValues() {
        // Python's math.erf
        assertEquals(0.0, ActivationFunctions.erf(0), 0);
        assertEquals(0.5204998778130465, ActivationFunctions.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, ActivationFunctions.erf(1), 1e-15);
        assertEquals(-0.9953222650189527, ActivationFunctions.erf(-2), 1e-15);
        assertEquals(0.9999779095030014, ActivationFunctions.erf(3), 1e-15);
        assertEquals(0.9999999999984626, ActivationFunctions.erf(5), 1e-15);
        assertEquals(1.0, ActivationFunctions.erf(7), 0);
    }

    @Test
    void activationsByTheirDefinitions() {
        // Python's math: x/(1+exp(-x)), 0.5x(1+erf(x/√2)), 0.5x(1+tanh(√(2/π)(x+0.044715x³))), max(0, x)
        assertEquals(1.2263617142904655, ActivationFunctions.apply(Activation.SILU, 1.5), 1e-15);
        assertEquals(-0.2322685594822837, ActivationFunctions.apply(Activation.SILU, -0.7), 1e-15);
        assertEquals(1.399789198096713, ActivationFunctions.apply(Activation.GELU, 1.5), 1e-14);
        assertEquals(-0.1693745565561511, ActivationFunctions.apply(Activation.GELU, -0.7), 1e-14);
        assertEquals(1.3995715769802328, ActivationFunctions.apply(Activation.GELU_TANH, 1.5), 1e-14);
        assertEquals(0.0, ActivationFunctions.apply(Activation.RELU, -0.7), 0);
        assertEquals(1.5, ActivationFunctions.apply(Activation.RELU, 1.5), 0);
    }
}
