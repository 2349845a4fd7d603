"""Facts computed once per document and shared by rules (``ctx.analysis(fn)``)."""
