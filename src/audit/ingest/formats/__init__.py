"""Export formats, one module per platform family; each registers its formats with
`audit.ingest.registry.register`. Imported automatically by the registry."""
