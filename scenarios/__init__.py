"""The example scenarios of modulplan: the committed JSON files, their builders
(`scenarios.builders`) and the command that writes and checks them (`scenarios/generate.py`)."""
