#!/usr/bin/env python3
"""llama.cpp's own quantiser (llama_model_quantize in the libllama that node-llama-cpp 3.21.1 ships), for the
peer benchmark when tttv2's GGUF writer cannot write a format itself.

    python3 llama-quantize.py BINS_DIR IN.gguf OUT.gguf q8_0|q4_0

The parameter struct is llama.h's llama_model_quantize_params of that release (llama.cpp tag v0.4.0 in
node-llama-cpp's bundle): int32 nthread, then the llama_ftype; the rest keeps llama.cpp's defaults.
"""
import ctypes
import os
import sys

FTYPES = {"q8_0": 7, "q4_0": 2}    # LLAMA_FTYPE_MOSTLY_Q8_0, LLAMA_FTYPE_MOSTLY_Q4_0


class Params(ctypes.Structure):
    # room for the whole struct (≈ 64 bytes): the library fills it; only the first two fields are touched
    _fields_ = [("nthread", ctypes.c_int32), ("ftype", ctypes.c_int32), ("rest", ctypes.c_byte * 256)]


def main():
    if len(sys.argv) != 5 or sys.argv[4] not in FTYPES:
        sys.exit("usage: llama-quantize.py BINS_DIR IN.gguf OUT.gguf q8_0|q4_0")
    bins, source, target, kind = sys.argv[1:]
    llama = ctypes.CDLL(os.path.join(bins, "libllama.v0.4.0.so"))
    llama.llama_backend_init.restype = None
    llama.llama_backend_init()
    llama.llama_model_quantize_default_params.restype = Params
    params = llama.llama_model_quantize_default_params()
    params.ftype = FTYPES[kind]
    llama.llama_model_quantize.restype = ctypes.c_uint32
    llama.llama_model_quantize.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(Params)]
    status = llama.llama_model_quantize(source.encode(), target.encode(), ctypes.byref(params))
    if status != 0:
        sys.exit(f"llama_model_quantize {source} -> {target} ({kind}) failed: {status}")


main()
