#!/usr/bin/env python3
"""Write a reference file for `tttv2 validate` from any HuggingFace causal LM, with PyTorch.

    python tools/dump_reference.py MODEL_DIR_OR_HUB_ID reference.safetensors \
        [--prompt "In the beginning"] [--batch 2] [--seq 12] [--new-tokens 8] [--seed 0]

The file holds what `validate` compares against (the keys of the project's fixtures):
  input_ids           [B, T] int64    the prompt (tokenized --prompt, or random ids when no tokenizer)
  logits              [B, T, V] f32   full-sequence forward, no cache
  hidden_states       [L+1, B, T, H]  embedding output, each layer's output (the last after the final norm)
  generated_ids       [B, T+N] int64  greedy generate with the KV cache
  decode_logits       [B, N, V] f32   raw logits of each generation step
  decode_top2_margin  [B, N] f32      top-1 minus top-2 logit of each step (tiny margin: a different token is no error)
Everything is computed in float32 on the CPU from the checkpoint's own weights.
Needs: torch, transformers, safetensors (pip install torch transformers safetensors).
"""
import argparse

import torch
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, AutoTokenizer


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model")
    p.add_argument("output")
    p.add_argument("--prompt", default=None, help="text to tokenize; default: random token ids")
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--seq", type=int, default=12)
    p.add_argument("--new-tokens", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()

    torch.manual_seed(a.seed)
    model = AutoModelForCausalLM.from_pretrained(a.model, torch_dtype=torch.float32).eval()
    if a.prompt is not None:
        tok = AutoTokenizer.from_pretrained(a.model)
        ids = tok(a.prompt, return_tensors="pt").input_ids.repeat(a.batch, 1)
    else:
        ids = torch.randint(0, model.config.vocab_size, (a.batch, a.seq))

    with torch.no_grad():
        out = model(ids, output_hidden_states=True, use_cache=False)
        gen = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=a.new_tokens, min_new_tokens=a.new_tokens,
                             do_sample=False, output_logits=True, return_dict_in_generate=True, pad_token_id=0)
    steps = torch.stack(gen.logits, dim=1).float()                     # [B, N, V]
    top2 = steps.topk(2, dim=-1).values
    save_file({
        "input_ids": ids.contiguous(),
        "logits": out.logits.float().contiguous(),
        "hidden_states": torch.stack(out.hidden_states).float().contiguous(),
        "generated_ids": gen.sequences.contiguous(),
        "decode_logits": steps.contiguous(),
        "decode_top2_margin": (top2[..., 0] - top2[..., 1]).contiguous(),
    }, a.output)
    print(f"wrote {a.output}: batch {ids.shape[0]}, {ids.shape[1]} tokens, {a.new_tokens} new")


if __name__ == "__main__":
    main()
