"""The text the generated rows are made of: names from many languages (accents, apostrophes,
hyphens, so search and sorting meet real-world names), notes, and the parts exercise names
are combined from."""

from typing import NamedTuple

GIVEN_NAMES = (  # noqa: SIM905
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Florence Emily "
    "Ella Poppy Evie Elsie Charlotte Zoë Chloé Renée Agnieszka Małgorzata Siobhán Aoife Niamh "
    "Ingrid Björk Søren Jürgen Ana José María Lucía Noah Oliver George Arthur Muhammad Leo Harry "
    "Oscar Archie Henry Theodore Freddie Jack Charlie Thomas Jacob Alfie Finley Isaac William "
    "Joshua Lucas Samuel Daniel Adebayo Chidi Kwame Amara Priya Anjali Rahul Arjun Mei Wei "
    "Hiroshi Yuki Dmitri Olga Ayşe Mehmet François Hélène Łucja Grzegorz Tomás Íñigo Zoltán Dóra"
).split()
FAMILY_NAMES = (  # noqa: SIM905
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin "
    "Cooper Hill Ward Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott "
    "Watson Davis Parker James Bennett Young Phillips Richardson Mitchell Bailey Carter Cook "
    "Singh Shaw Bell Collins Morgan Kelly Begum Miller Cox Hussain Marshall Simpson Price "
    "Anderson Adams Wilkinson Ali Ahmed Foster Ellis Murphy Chapman Mason Gray Richards Webb "
    "Griffiths Hunt Palmer Campbell Holmes Mills Rogers Barnes Knight Matthews Barker Powell "
    "Stevens Kaur Dixon Kennedy Fisher Núñez Łukasiewicz-Núñez Müller Schröder Øvergaard Sørensen "
    "Ó'Briain O'Connor García Fernández López Martínez González Rodríguez Pérez Sánchez Gómez "
    "Díaz Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
    "Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski "
    "Nowakowski Pawłowski Michalski Adebayo Okafor Mensah Nguyen Tran Le Pham Hoang Kim Park Choi "
    "Chen Wang Li Zhang Liu Yang Huang Zhao Wu Zhou Tanaka Suzuki Takahashi Watanabe Ivanov "
    "Petrov Sidorov Yılmaz Kaya Demir Şahin Çelik Öztürk Dubois Lefèvre Moreau Girard Bonnet "
    "Dupont Lambert Fontaine Rousseau Vincent Rossi Russo Ferrari Esposito Bianchi Romano Colombo "
    "Ricci Marino Greco"
).split()
PRESCRIPTION_NOTES = (
    "",
    "",
    "Ease the pull at the back of your thighs.",
    "Build strength so stairs feel easier.",
    "Keep your back moving while it settles.",
    "Get back to running 5 km without pain.",
    "Sit at your desk for an hour without stiffness.",
    "Walk the dog twice a day comfortably.",
)
ITEM_NOTES = (
    "Go gently on the left side.",
    "Stop if the pain goes above 4 out of 10.",
    "Do these after your walk, when you are warm.",
    "Use the kitchen counter for balance.",
)
MODIFIERS = (  # noqa: SIM905
    "Seated Standing Lying Kneeling Side-lying Wall Banded Towel Assisted Single-leg Slow "
    "Supported Bent-knee Straight-leg Half Deep Gentle Dynamic Isometric Eccentric"
).split()


class Movement(NamedTuple):
    """A base movement generated exercises are named after and take their details from."""

    name: str
    category: str
    position: str
    region: str  # a body region's slug
    muscles: str
    kind: str  # how its dose is given: "hold", "reps" or "time"


MOVEMENTS = tuple(
    Movement(*movement)
    for movement in (
        ("hamstring stretch", "stretch", "lying-on-back", "hamstrings", "Hamstrings", "hold"),
        ("calf raise", "strengthening", "standing", "calves", "Gastrocnemius, soleus", "reps"),
        ("glute bridge", "strengthening", "lying-on-back", "glutes", "Gluteus maximus", "reps"),
        ("hip hinge", "mobility", "standing", "hips", "Hamstrings, glutes, erector spinae", "reps"),
        ("knee extension", "strengthening", "seated", "full-body", "Quadriceps", "reps"),
        ("heel slide", "mobility", "lying-on-back", "hips", "Hip flexors, hamstrings", "reps"),
        ("clam", "strengthening", "side-lying", "glutes", "Gluteus medius", "reps"),
        ("bird dog", "strengthening", "hands-and-knees", "core", "Multifidus, glutes", "reps"),
        ("cat-camel", "mobility", "hands-and-knees", "lower-back", "Spinal extensors", "reps"),
        ("dead bug", "strengthening", "lying-on-back", "core", "Transversus abdominis", "reps"),
        ("plank", "strengthening", "lying-on-front", "core", "Abdominals, shoulders", "hold"),
        ("side plank", "strengthening", "side-lying", "core", "Obliques, gluteus medius", "hold"),
        ("squat", "strengthening", "standing", "full-body", "Quadriceps, glutes", "reps"),
        ("lunge", "strengthening", "standing", "full-body", "Quadriceps, glutes", "reps"),
        ("step-up", "strengthening", "standing", "full-body", "Quadriceps, glutes", "reps"),
        ("hip flexor stretch", "stretch", "kneeling", "hips", "Iliopsoas, rectus femoris", "hold"),
        ("piriformis stretch", "stretch", "lying-on-back", "glutes", "Piriformis", "hold"),
        ("quad stretch", "stretch", "standing", "full-body", "Quadriceps", "hold"),
        ("calf stretch", "stretch", "standing", "calves", "Gastrocnemius, soleus", "hold"),
        (
            "pelvic tilt",
            "mobility",
            "lying-on-back",
            "lower-back",
            "Abdominals, lumbar extensors",
            "reps",
        ),
        ("nerve glide", "mobility", "seated", "hamstrings", "Sciatic nerve mobility", "reps"),
        ("wall sit", "strengthening", "standing", "full-body", "Quadriceps", "hold"),
        ("leg swing", "mobility", "standing", "hips", "Hip flexors, hamstrings", "reps"),
        ("foam roll", "soft-tissue", "seated", "hamstrings", "Hamstrings", "time"),
        ("hamstring curl", "strengthening", "lying-on-front", "hamstrings", "Hamstrings", "reps"),
    )
)
SUFFIXES = (
    "",
    "with band",
    "with towel",
    "on a step",
    "on a ball",
    "with pause",
    "level 2",
    "level 3",
    "with support",
    "pulses",
)
SUMMARIES = (
    "A gentle start for stiff mornings.",
    "Builds strength without loading the back.",
    "Keeps the movement small and controlled.",
    "Good when sitting all day has made you stiff.",
    "A progression once the easier version feels comfortable.",
    "Helps balance and control on one leg.",
)
STEP_TEXTS = (
    "Get into the start position and breathe out slowly.",
    "Keep your back flat and your tummy muscles gently tight.",
    "Move slowly, taking about three seconds each way.",
    "Stop at a mild stretch or effort; it should never be sharp.",
    "Hold the position still and keep breathing normally.",
    "Return slowly to where you started and relax for a moment.",
    "Keep your knee in line with your second toe.",
    "Use a chair or the wall for balance if you need to.",
    "Change sides and do the same on the other side.",
    "Rest between sets for as long as you need.",
)
