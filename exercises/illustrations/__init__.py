"""Exercise pictures drawn from pose data.

body.py (proportions, joints, forward kinematics) -> frames.py (the frame schema) ->
scene.py (placing the figure on its supports, props, shapes as plain paths) -> one thin
adapter per output: svg.py for the API and the admin, pdf.py for the handout. Nothing before
the adapters knows about SVG or reportlab.
"""
