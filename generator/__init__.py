"""Build a plain-language static site about Ofsted inspections of children's services."""
