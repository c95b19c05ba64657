"""The reference (FoundationVision/VAR) timed with this machine's PyTorch, for the GPU check (check.sh --reference DIR).

Random weights (no checkpoint is downloaded): VAR-d16, one 256 px image at cfg 4, top-k 900, top-p 0.96 (median of
3 after a warm-up, and the peak memory), and a config-B transformer training step (depth 6, width 384, 6 heads,
scales 1,2,3,4,6,8, 512 tokens, 10 classes, batch 64, AdamW; median of 5 after 2). Prints one JSON object.
Written against the reference's build_vae_var / VAR / VQVAE signatures; it needs PyTorch, so it runs on the GPU
machine only.
"""
import argparse
import json
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--var", required=True, help="checkout of FoundationVision/VAR")
    ap.add_argument("--device", default="cuda")
    a = ap.parse_args()
    sys.path.insert(0, a.var)
    import torch
    from models import build_vae_var
    from models.var import VAR
    from models.vqvae import VQVAE

    dev = a.device
    out = {"torch": torch.__version__, "device": dev}
    if dev.startswith("cuda"):
        out["gpu"] = torch.cuda.get_device_name(0)

    def sync():
        if dev.startswith("cuda"):
            torch.cuda.synchronize()

    try:
        torch.manual_seed(0)
        vae, var = build_vae_var(V=4096, Cvae=32, ch=160, share_quant_resi=4, device=dev,
                                 patch_nums=(1, 2, 3, 4, 5, 6, 8, 10, 13, 16), num_classes=1000, depth=16, shared_aln=False)
        var.eval()
        label = torch.tensor([207], device=dev)
        times = []
        if dev.startswith("cuda"):
            torch.cuda.reset_peak_memory_stats()
        with torch.inference_mode():
            for rep in range(4):
                sync()
                t0 = time.perf_counter()
                var.autoregressive_infer_cfg(B=1, label_B=label, cfg=4, top_k=900, top_p=0.96, g_seed=rep, more_smooth=False)
                sync()
                if rep > 0:
                    times.append(time.perf_counter() - t0)
        out["d16_one_image_s"] = statistics.median(times)
        if dev.startswith("cuda"):
            out["d16_peak_gpu_mb"] = torch.cuda.max_memory_allocated() / 1e6
        del vae, var
    except Exception as e:  # the report says what failed; the other measurement still runs
        out["d16_error"] = repr(e)

    try:
        torch.manual_seed(0)
        pn = (1, 2, 3, 4, 6, 8)
        vae = VQVAE(vocab_size=512, z_channels=32, ch=64, test_mode=True, share_quant_resi=4, v_patch_nums=pn).to(dev)
        var = VAR(vae_local=vae, num_classes=10, depth=6, embed_dim=384, num_heads=6, mlp_ratio=4.0, drop_rate=0.0,
                  attn_drop_rate=0.0, drop_path_rate=0.0, norm_eps=1e-6, shared_aln=False, cond_drop_rate=0.1,
                  attn_l2_norm=True, patch_nums=pn).to(dev)
        var.init_weights(init_adaln=0.5, init_adaln_gamma=1e-5, init_head=0.02, init_std=-1)
        var.train()
        opt = torch.optim.AdamW(var.parameters(), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.05)
        B, L = 64, sum(p * p for p in pn)
        gt = [torch.randint(0, 512, (B, p * p), device=dev) for p in pn]
        with torch.no_grad():
            x = vae.quantize.idxBl_to_var_input(gt)
        labels = torch.randint(0, 10, (B,), device=dev)
        target = torch.cat(gt, dim=1)
        times = []
        for step in range(7):
            sync()
            t0 = time.perf_counter()
            logits = var(labels, x)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 512), target.reshape(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(var.parameters(), 2.0)
            opt.step()
            sync()
            if step >= 2:
                times.append(time.perf_counter() - t0)
        out["config_b_train_step_s"] = statistics.median(times)
        out["config_b_tokens_per_step"] = B * L
    except Exception as e:
        out["train_error"] = repr(e)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
