-- Notes belong to a user.
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  body TEXT NOT NULL
);
CREATE INDEX notes_user_id ON notes (user_id);
