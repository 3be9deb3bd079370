package io.tttv2.testing.support;

import io.tttv2.api.ops.Device;
import io.tttv2.core.cpu.CpuDevice;

/** The CPU device the tests run the real modules on, shared by the tests of one JVM. */
public final class TestDevice {

    private static final CpuDevice CPU = new CpuDevice(2);

    private TestDevice() {
    }

    public static Device cpu() {
        return CPU;
    }
}
