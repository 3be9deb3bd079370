package io.tttv2.core.modules.testing;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test-only safetensors reader: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the data, mapped read-only (F32, BF16, F16, I64). core-impl
 * cannot use the HF formats bundle, so the tests carry this small one.
 */
public final class SafetensorsFile {

    private final Path path;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private SafetensorsFile(Path path) {
        this.path = path;
    }

    /** Maps {@code path} for the life of the JVM (a test arena: the files are small). */
    public static SafetensorsFile open(Path path) throws IOException {
        SafetensorsFile file = new SafetensorsFile(path);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment all = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), Arena.global());
            long headerLength = all.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (headerLength <= 0 || 8 + headerLength > all.byteSize()) {
                throw new IOException(path + ": header length " + headerLength + " does not fit a file of "
                        + all.byteSize() + " bytes");
            }
            byte[] header = all.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment data = all.asSlice(8 + headerLength);
            Map<String, Object> entries = Json.object(Json.parse(new String(header, StandardCharsets.UTF_8), path.toString()));
            for (Map.Entry<String, Object> e : entries.entrySet()) {
                if (!e.getKey().equals("__metadata__")) {
                    file.tensors.put(e.getKey(), file.tensor(e.getKey(), Json.object(e.getValue()), data));
                }
            }
        }
        return file;
    }

    private Tensor tensor(String name, Map<String, Object> entry, MemorySegment data) {
        String dtypeName = (String) entry.get("dtype");
        DType dtype = switch (dtypeName) {
            case "F32" -> DType.F32;
            case "BF16" -> DType.BF16;
            case "F16" -> DType.F16;
            case "I64" -> DType.I64;
            case "I32" -> DType.I32;
            default -> throw new IllegalArgumentException(path + ": tensor '" + name + "' has dtype " + dtypeName
                    + ", expected F32, BF16, F16, I32 or I64");
        };
        List<Object> shapeList = Json.array(entry.get("shape"));
        int[] shape = new int[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = Math.toIntExact((Long) shapeList.get(i));
        }
        List<Object> offsets = Json.array(entry.get("data_offsets"));
        long begin = (Long) offsets.get(0);
        long end = (Long) offsets.get(1);
        return Tensor.wrap(data.asSlice(begin, end - begin), dtype, shape);
    }

    /** The tensor {@code name}; throws naming the file and the name if it is missing. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(path + ": no tensor '" + name + "'");
        }
        return t;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public Set<String> names() {
        return tensors.keySet();
    }

    public Path path() {
        return path;
    }
}
