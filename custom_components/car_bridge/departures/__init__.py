"""Pure departure model: learns when the car leaves home, predicts or abstains. No HA imports."""
