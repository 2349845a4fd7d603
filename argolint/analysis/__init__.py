"""Facts computed once per document (``ctx.analysis(fn)``) and shared by the rules."""
