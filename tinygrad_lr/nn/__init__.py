"""Neural-network building blocks: Parameter, Module, Linear, losses (see issue: workflow)."""
