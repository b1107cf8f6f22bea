"""School segregation: between-school indices, nearest schools, schools against their
neighbourhoods, for every LA from the DfE school census."""
