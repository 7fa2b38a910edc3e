"""/paysupport: the owner's question and the admin's answer, one typed message each."""
