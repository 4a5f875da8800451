# Regenerates resize_src.npy and resize_pillow.npy: 28×28 images and what Pillow makes of them
# after torchvision's CenterCrop(24) and Resize(16) (crop, then Image.resize BILINEAR).
# Produced with Pillow 9.4.0 and NumPy 1.24.2 (Debian bookworm python3-pil, python3-numpy).
import numpy as np
from PIL import Image

rng = np.random.RandomState(1)
imgs = [rng.randint(0, 256, size=(28, 28)) for _ in range(40)]
imgs += [np.full((28, 28), 255), np.zeros((28, 28), int),
         (np.indices((28, 28)).sum(axis=0) % 2) * 255]
for r, c in [(2, 2), (13, 14), (25, 25), (7, 20), (0, 0)]:
    impulse = np.zeros((28, 28), int)
    impulse[r, c] = 255
    imgs.append(impulse)
src = np.array(imgs, dtype=np.uint8)
out = np.array([np.asarray(Image.fromarray(a, mode="L").crop((2, 2, 26, 26)).resize((16, 16), Image.BILINEAR))
                for a in src], dtype=np.uint8)
np.save("resize_src.npy", src)
np.save("resize_pillow.npy", out)
