"""Neural networks on top of autograd: modules, losses, optimizers, datasets, training."""

from nn import datasets
from nn.fit import Epoch, History, accuracy, fit
from nn.layers import MLP, Layer, Neuron
from nn.losses import bce_loss, cross_entropy, hinge_loss, mae_loss, mse_loss, softmax
from nn.module import Module
from nn.optim import SGD, Adam, Optimizer
from nn.rnn import RNNCell

__all__ = [
    "Module", "Neuron", "Layer", "MLP", "RNNCell",
    "mse_loss", "mae_loss", "bce_loss", "cross_entropy", "hinge_loss", "softmax",
    "Optimizer", "SGD", "Adam",
    "datasets", "fit", "History", "Epoch", "accuracy",
]
