"""Draw Car Bridge's icon: a car under a house roof, joined by a bridge arc.

Run with the project's venv (Pillow comes with Home Assistant):
    .venv/bin/python script/make_icon.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "custom_components" / "car_bridge" / "brand"
BLUE, TEAL, WHITE = (25, 118, 210), (0, 150, 136), (255, 255, 255)


def draw(size: int) -> Image.Image:
    s = size / 512
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, size - 1, size - 1), radius=int(96 * s), fill=BLUE)
    # house roof
    d.line(
        [(96 * s, 232 * s), (256 * s, 96 * s), (416 * s, 232 * s)],
        fill=WHITE,
        width=int(34 * s),
        joint="curve",
    )
    # bridge arc from the car to the house
    d.arc((112 * s, 170 * s, 400 * s, 420 * s), start=200, end=340, fill=TEAL, width=int(18 * s))
    # car body and cabin
    d.rounded_rectangle((128 * s, 300 * s, 384 * s, 380 * s), radius=int(28 * s), fill=WHITE)
    d.polygon(
        [(176 * s, 304 * s), (212 * s, 248 * s), (300 * s, 248 * s), (340 * s, 304 * s)], fill=WHITE
    )
    d.polygon(
        [(200 * s, 300 * s), (222 * s, 266 * s), (252 * s, 266 * s), (252 * s, 300 * s)], fill=BLUE
    )
    d.polygon(
        [(264 * s, 300 * s), (264 * s, 266 * s), (292 * s, 266 * s), (316 * s, 300 * s)], fill=BLUE
    )
    for cx in (188, 324):  # wheels
        r = 30 * s
        d.ellipse(
            (cx * s - r, 380 * s - r, cx * s + r, 380 * s + r),
            fill=(33, 33, 33),
            outline=WHITE,
            width=int(8 * s),
        )
    return img


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw(1024).resize((512, 512), Image.Resampling.LANCZOS)
    big.save(OUT / "icon@2x.png", optimize=True)
    big.resize((256, 256), Image.Resampling.LANCZOS).save(OUT / "icon.png", optimize=True)
    print(f"wrote {OUT}/icon.png and icon@2x.png")
