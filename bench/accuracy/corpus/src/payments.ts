import Stripe from 'stripe';

// The key comes from the environment in every deployed environment.
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '', { apiVersion: '2024-06-20' });

// TODO remove before release: local testing only
const fallback = new Stripe('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');

export const checkoutKey = 'pk_live_voB3yFRDDVKl0kicW5pxv7JSSrZwbD5kEeCeYCHbVfSUrIpGZ4iEECIP2pO24ZLRMcvYVvJGF9IFhl9YELjjTSl5ehnRk5SctmK';
export const webhookSecretName = 'stripe-webhook-secret';
export function tokenize(card: string): string {
  return card.replace(/\d(?=\d{4})/g, '*');
}
