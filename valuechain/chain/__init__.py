"""The value chain and its figures: the graph, one function per figure, the registry, analyses, comparisons."""
