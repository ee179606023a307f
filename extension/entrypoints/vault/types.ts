// Shapes of the background's answers, as the vault page sees them (type-only: no code crosses).
export type { ListEntry } from '../../records/browse';
export type { ItemOutcome } from '../../records/import';
export type { ReadableView } from '../../records/fhir-adapter';
import type { ListEntry } from '../../records/browse';
import type { ReadableView } from '../../records/fhir-adapter';

export interface Summary {
  total: number;
  byCategory: Record<string, number>;
  recent: ListEntry[];
  damagedIndexChunks: number;
  backup: { lastAt?: number; due: boolean };
}

export interface ListPage {
  total: number;
  entries: ListEntry[];
}

export type RecordView =
  | { entry: ListEntry; damaged: true }
  | { entry: ListEntry; damaged?: undefined; view: ReadableView; resource: Record<string, unknown> };
