/** Every financing simulation shown to someone is kept, with its figures, under an id. */
import { Context, Effect, Layer } from "effect";
import { randomUUID } from "node:crypto";
import { Database, type DatabaseError } from "../db/database.ts";

export interface QuotePlan {
  readonly termMonths: number;
  readonly monthlyPayment: string;
  readonly totalPaid: string;
  readonly totalInterest: string;
}

export interface NewQuote {
  readonly conversationId: string | null;
  readonly stockId: number | null;
  readonly price: number;
  readonly downPayment: number;
  readonly financed: number;
  /** Decimal string, e.g. "0.10". */
  readonly annualRate: string;
  readonly plans: ReadonlyArray<QuotePlan>;
}

export interface StoredQuote extends NewQuote {
  readonly id: string;
  readonly createdAt: Date;
}

export interface QuoteStoreShape {
  readonly save: (quote: NewQuote) => Effect.Effect<StoredQuote, DatabaseError>;
  readonly get: (id: string) => Effect.Effect<StoredQuote | undefined, DatabaseError>;
}

export class QuoteStore extends Context.Service<QuoteStore, QuoteStoreShape>()("QuoteStore") {
  static readonly layer = Layer.effect(
    QuoteStore,
    Effect.gen(function* () {
      const { use } = yield* Database;
      return QuoteStore.of({
        save: (quote) =>
          use("financing_quotes.save", async (db) => {
            const id = `q_${randomUUID()}`;
            // A quote may outlive a conversation the client never stored (e.g. the HTTP quotes API).
            const conversationExists =
              quote.conversationId !== null &&
              (await db.selectFrom("conversations").select("id").where("id", "=", quote.conversationId).executeTakeFirst()) !== undefined;
            const row = await db
              .insertInto("financing_quotes")
              .values({
                id,
                conversation_id: conversationExists ? quote.conversationId : null,
                stock_id: quote.stockId,
                price: quote.price,
                down_payment: quote.downPayment,
                financed: quote.financed,
                annual_rate: quote.annualRate,
                terms: JSON.stringify(quote.plans.map((plan) => plan.termMonths)),
                plans: JSON.stringify(quote.plans),
              })
              .returning(["created_at"])
              .executeTakeFirstOrThrow();
            return { ...quote, conversationId: conversationExists ? quote.conversationId : null, id, createdAt: new Date(row.created_at) };
          }),
        get: (id) =>
          use("financing_quotes.get", (db) => db.selectFrom("financing_quotes").selectAll().where("id", "=", id).executeTakeFirst()).pipe(
            Effect.map((row) =>
              row
                ? {
                    id: row.id,
                    conversationId: row.conversation_id,
                    stockId: row.stock_id,
                    price: row.price,
                    downPayment: row.down_payment,
                    financed: row.financed,
                    annualRate: String(row.annual_rate),
                    plans: row.plans as unknown as QuotePlan[],
                    createdAt: new Date(row.created_at),
                  }
                : undefined,
            ),
          ),
      });
    }),
  );
}
