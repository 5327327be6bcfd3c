"""Keys of the analysers' ``options`` (``bp.analysis.C``): a nullcline given in closed form.

``options={C.x_by_y_in_fx: g}`` says that on the fx-nullcline ``x = g(y, *pars)``; the
analysers then solve the remaining one-dimensional equation ``fy(g(y), y) = 0`` exactly instead
of searching the plane. ``g`` takes the free variable first, then parameters by name.

    >>> x_by_y_in_fx
    'fx::x=f(y)'
"""
__all__ = ["x_by_y_in_fx", "y_by_x_in_fx", "x_by_y_in_fy", "y_by_x_in_fy"]

y_by_x_in_fy = "fy::y=f(x)"
y_by_x_in_fx = "fx::y=f(x)"
x_by_y_in_fx = "fx::x=f(y)"
x_by_y_in_fy = "fy::x=f(y)"
