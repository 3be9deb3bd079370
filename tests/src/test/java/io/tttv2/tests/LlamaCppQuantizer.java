package io.tttv2.tests;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * llama.cpp's own quantiser ({@code llama_model_quantize} in the libllama that node-llama-cpp ships), called through
 * the FFM API. {@code llama_model_quantize_params} changes between releases, but it begins with
 * {@code int32_t nthread; enum llama_ftype ftype;} and is larger than 16 bytes, so it is returned through a
 * caller-provided buffer: the buffer is declared generously (256 bytes), filled by
 * {@code llama_model_quantize_default_params}, and only its first two fields are set.
 */
final class LlamaCppQuantizer {
    /** {@code LLAMA_FTYPE_MOSTLY_Q4_K_M}. */
    static final int Q4_K_M = 15;

    private LlamaCppQuantizer() {
    }

    /** Quantises {@code in} to {@code out} as {@code llama-quantize in out Q4_K_M} would; returns its result code. */
    static int quantize(Path binaries, Path in, Path out, int ftype, int threads) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            // the libraries libllama links against, from the same folder (its RUNPATH may not name it)
            SymbolLookup.libraryLookup(binaries.resolve("libggml-base.so"), arena);
            SymbolLookup.libraryLookup(library(binaries, "libggml."), arena);
            SymbolLookup llama = SymbolLookup.libraryLookup(library(binaries, "libllama."), arena);
            Linker linker = Linker.nativeLinker();
            StructLayout params = MemoryLayout.structLayout(MemoryLayout.sequenceLayout(32, ValueLayout.JAVA_LONG));
            MethodHandle defaults = linker.downcallHandle(llama.find("llama_model_quantize_default_params").orElseThrow(),
                    FunctionDescriptor.of(params));
            MethodHandle quantize = linker.downcallHandle(llama.find("llama_model_quantize").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            MemorySegment p = (MemorySegment) defaults.invokeExact((SegmentAllocator) arena);
            p.set(ValueLayout.JAVA_INT, 0, threads);
            p.set(ValueLayout.JAVA_INT, 4, ftype);
            return (int) quantize.invokeExact(arena.allocateFrom(in.toString()), arena.allocateFrom(out.toString()), p);
        }
    }

    /** {@code libllama.v0.4.0.so} and the like: the versioned file of that prefix. */
    private static Path library(Path dir, String prefix) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(".so")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + prefix + "*.so in " + dir));
        }
    }
}
