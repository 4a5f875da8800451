# Regenerates the .npy/.npz fixtures of internal/npy with NumPy (run with python3 gen.py).
# Fixtures were produced with NumPy 1.24.2 (Debian bookworm python3-numpy).
import io
import numpy as np

vals = np.array([[-3, -2, -1], [0, 1, 2]])
for descr in ["<f4", ">f4", "<f8", ">f8", "|i1", "<i2", ">i2", "<i4", ">i4",
              "<i8", ">i8", "|u1", "<u2", ">u2", "<u4", ">u4", "<u8", ">u8", "|b1"]:
    a = vals
    if descr[1] in "ub":
        a = vals + 3  # 0..5; booleans become 0,1,1,1,1,1
    np.save("dtype_" + descr[1:] + ("_be" if descr[0] == ">" else "") + ".npy", a.astype(descr))

special = np.array([0.15, 2.0, np.inf, -0.0, 1e-300, 5e-324])
np.save("special_f8.npy", special)
for v in [(1, 0), (2, 0), (3, 0)]:
    with open("version_%d.npy" % v[0], "wb") as f:
        np.lib.format.write_array(f, special.reshape(2, 3), version=v)
np.save("scalar.npy", np.float64(3.5))
np.save("empty.npy", np.zeros((0, 4)))
np.save("fortran_2d.npy", np.asfortranarray(np.arange(6.0).reshape(2, 3)))

inputs = np.array([[0.15, 2.0, np.inf], [1.0, 0.5, 0.25]])
labels = np.array([2, 0])
np.savez("stored.npz", inputs=inputs, labels=labels)
np.savez_compressed("deflated.npz", inputs=inputs, labels=labels)
