package io.tttv2.core.modules.testing;

import io.tttv2.api.ops.Device;
import io.tttv2.core.cpu.CpuDevice;

/** The device the module tests run on: the CPU device, shared by the tests of one JVM. */
public final class TestDevices {

    private static final CpuDevice CPU = new CpuDevice(2);

    private TestDevices() {
    }

    public static Device cpu() {
        return CPU;
    }
}
