import { describe, expect, it } from "vitest";
import { redactPassword, sourceFormProblem } from "./sources";

describe("sourceFormProblem", () => {
  it("wants a free dataset name and a PostgreSQL URL", () => {
    const form = { name: "flights_pg", url: "postgresql://reader:s3cret@db:5432/flights", schema: "public" };
    expect(sourceFormProblem(form, ["nycflights13"])).toBeNull();
    expect(sourceFormProblem({ ...form, url: "postgres://db/flights" }, [])).toBeNull();
    expect(sourceFormProblem({ ...form, name: "Flights" }, [])).toMatch(/lower-case letters/);
    expect(sourceFormProblem(form, ["flights_pg"])).toMatch(/already exists/);
    expect(sourceFormProblem({ ...form, url: "mysql://db/flights" }, [])).toBe("Give a postgresql://user:password@host:5432/database URL.");
  });
});

describe("redactPassword", () => {
  const url = "postgresql://reader:p%40ss word!@db.local:5432/flights";

  it("masks the password wherever the message quotes it, raw or decoded", () => {
    const message = "could not connect to postgresql://reader:p%40ss word!@db.local:5432/flights (p@ss word! rejected)";
    const shown = redactPassword(message, url);
    expect(shown).not.toContain("p%40ss");
    expect(shown).not.toContain("p@ss word!");
    expect(shown).toContain("reader:•••@db.local");
  });

  it("masks any user:password@ in a URL and libpq's password=", () => {
    expect(redactPassword("bad url postgres://u:other@h/db", "")).toBe("bad url postgres://u:•••@h/db");
    expect(redactPassword("host=h password='x y' dbname=d", "")).toBe("host=h password=••• dbname=d");
    expect(redactPassword("role \"reader\" may write: refused", url)).toBe("role \"reader\" may write: refused");
  });
});
