"""Neural networks on top of autograd: modules, losses, optimizers, datasets, training."""
