//! The made-up clinical free text of the demo practice: sentences put together from a
//! small vocabulary of everyday words (a dog, the garden, a mother, work, grief, music), so
//! that a search of the notes finds a plausible handful rather than everything or nothing.

use rand::{Rng, RngExt};

const PEOPLE: &[&str] = &[
    "mother",
    "father",
    "sister",
    "brother",
    "partner",
    "daughter",
    "son",
    "grandmother",
    "best friend",
    "manager",
    "ex-husband",
    "ex-wife",
    "roommate",
    "neighbour",
];

const THINGS: &[&str] = &[
    "the dog",
    "the garden",
    "music",
    "the piano",
    "work",
    "the new job",
    "running",
    "cooking",
    "the ocean",
    "a childhood home",
    "the kitchen table",
    "a long walk in the park",
    "painting",
    "the subway",
    "a wedding",
    "the cat",
    "swimming",
    "the forest upstate",
    "a birthday",
    "moving apartments",
    "the violin",
    "a trip to Lisbon",
    "the rain",
    "a hospital stay",
];

const FEELINGS: &[&str] = &[
    "grief",
    "anger",
    "relief",
    "shame",
    "tenderness",
    "fear",
    "gratitude",
    "loneliness",
    "joy",
    "guilt",
    "numbness",
    "hope",
    "restlessness",
    "calm",
];

const THEMES: &[&str] = &[
    "loss",
    "self-worth",
    "belonging",
    "control",
    "trust",
    "forgiveness",
    "boundaries",
    "burnout",
    "identity",
    "change",
    "safety in the body",
    "perfectionism",
    "connection",
    "rest",
];

const OPENINGS: &[&str] = &[
    "Client arrived on time and settled quickly.",
    "Client arrived a few minutes late, apologetic, and settled after some breathing.",
    "Client reported a difficult week.",
    "Client reported a steadier week than the last.",
    "Client began by describing sleep, which has improved.",
    "Client presented as tired but engaged.",
    "Client was talkative and warm from the start.",
    "Client was quiet at first and took time to find words.",
];

const COMMITMENTS: &[&str] = &[
    "Will journal for ten minutes each morning.",
    "Will take the dog on a longer walk twice this week.",
    "Will call their {p} before the weekend.",
    "Will spend an hour in the garden on Sunday.",
    "Will practise the breathing exercise before work.",
    "Will listen to the session playlist once without distraction.",
    "Will say no to one extra task at work.",
    "Will write a letter to their {p}, not to be sent.",
    "Will return to the piano for a few minutes a day.",
    "Will notice moments of {f} and name them.",
];

const INTENTIONS: &[&str] = &[
    "To meet what comes with curiosity.",
    "To be kinder to myself about {t}.",
    "To understand my {f} around my {p}.",
    "To let go of what I carry about {t}.",
    "To feel safe in my body.",
    "To see my {p} with fresh eyes.",
    "To make room for {f} without running from it.",
    "To find the thread back to {t}.",
];

fn pick<'a, R: Rng + ?Sized>(rng: &mut R, words: &[&'a str]) -> &'a str {
    words[rng.random_range(0..words.len())]
}

/// Fills `{p}`, `{t}`, `{f}` and `{h}` with a person, a thing, a feeling and a theme.
fn fill<R: Rng + ?Sized>(rng: &mut R, template: &str) -> String {
    let mut out = template.to_owned();
    for (slot, words) in [
        ("{p}", PEOPLE),
        ("{t}", THINGS),
        ("{f}", FEELINGS),
        ("{h}", THEMES),
    ] {
        while out.contains(slot) {
            let w = pick(rng, words);
            out = out.replacen(slot, w, 1);
        }
    }
    out
}

const SENTENCES: &[&str] = &[
    "Spoke at length about their {p} and the {f} that comes up around {t}.",
    "Described {t} as a place where {f} softens.",
    "Explored {h} through a memory of {t}.",
    "Noticed {f} when talking about their {p}; stayed with it rather than moving on.",
    "Linked recent {f} at work to an old pattern of {h}.",
    "Reported that {t} has been a reliable source of calm.",
    "Named {h} as the main thread of the month.",
    "Reflected on how their {p} responded to the news, and on their own {f}.",
    "Grief about their {p} surfaced again, quieter than before.",
    "Talked about {t} and laughed for the first time in session.",
    "Identified {f} in the chest and shoulders; practised grounding.",
    "Is sleeping better and has returned to {t}.",
    "Wondered aloud whether {h} is something they can choose.",
    "Brought a photograph connected to {t}; we looked at it together.",
    "Mentioned conflict with their {p} over {t}; explored what was underneath.",
];

/// A few sentences of session narrative.
pub fn narrative<R: Rng + ?Sized>(rng: &mut R, sentences: usize) -> String {
    let mut parts = vec![pick(rng, OPENINGS).to_owned()];
    for _ in 0..sentences {
        let t = pick(rng, SENTENCES);
        parts.push(fill(rng, t));
    }
    parts.join(" ")
}

/// A free-text note for an intake or a psychotherapy session.
pub fn free_text<R: Rng + ?Sized>(rng: &mut R, intake: bool) -> String {
    let n = rng.random_range(2..5);
    let mut text = narrative(rng, n);
    if intake {
        text.push_str("\n\nPresenting concerns discussed; history of ");
        text.push_str(pick(rng, THEMES));
        text.push_str(" reviewed. Goals agreed. ");
    } else {
        text.push_str("\n\nPlan: ");
    }
    let t = pick(rng, COMMITMENTS);
    text.push_str(&fill(rng, t));
    text
}

pub fn intention<R: Rng + ?Sized>(rng: &mut R) -> String {
    let t = pick(rng, INTENTIONS);
    fill(rng, t)
}

pub fn observations<R: Rng + ?Sized>(rng: &mut R) -> String {
    let mut s = fill(
        rng,
        "Lay with eye mask and music; still for long stretches. Spoke briefly about {t} and {f}.",
    );
    if rng.random_bool(0.4) {
        s.push(' ');
        s.push_str(&fill(
            rng,
            "Tearful at the peak, then calm; mentioned their {p}.",
        ));
    }
    s
}

pub fn integration_after_journey<R: Rng + ?Sized>(rng: &mut R) -> String {
    fill(
        rng,
        "Post-journey integration: described {t}, a sense of {f}, and the theme of {h}.",
    )
}

pub fn what_came_up<R: Rng + ?Sized>(rng: &mut R) -> String {
    let n = rng.random_range(1..4);
    narrative(rng, n)
}

pub fn themes<R: Rng + ?Sized>(rng: &mut R) -> String {
    format!(
        "{}, {} and {}.",
        capital(pick(rng, THEMES)),
        pick(rng, THEMES),
        pick(rng, FEELINGS)
    )
}

pub fn commitment<R: Rng + ?Sized>(rng: &mut R) -> String {
    let t = pick(rng, COMMITMENTS);
    fill(rng, t)
}

pub fn amendment<R: Rng + ?Sized>(rng: &mut R) -> String {
    fill(
        rng,
        "Correction: the reference to their {p} should read their {p}; the discussion of {t} was at the client's initiative.",
    )
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The therapist's own impressions of a session: private process notes.
pub fn process_note<R: Rng + ?Sized>(rng: &mut R) -> String {
    const IMPRESSIONS: &[&str] = &[
        "My sense is that {t} sits closer to the surface than they let on.",
        "I noticed my own impatience when {t} came up; worth watching.",
        "A hunch: the {p} story is standing in for {t}.",
        "Felt the room go quiet around {t}; I chose not to press.",
    ];
    let n = rng.random_range(1..3);
    (0..n)
        .map(|_| {
            let t = pick(rng, IMPRESSIONS);
            fill(rng, t)
        })
        .collect::<Vec<_>>()
        .join(" ")
}
