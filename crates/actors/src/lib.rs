//! Actor recognition: dictionaries of actors, agents and dated roles, matched over a Doc into actor mentions.
