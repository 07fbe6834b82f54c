/** The fines services every instance needs (the tool starts checks, the route reads them): the registry the configuration selects and the checks on the queue. */
import { Layer } from "effect";
import { FinesRegistryLive } from "../../knowledge/fines/layer.ts";
import { FinesChecksLive } from "./checks-live.ts";

export const FinesServices = Layer.mergeAll(FinesRegistryLive, FinesChecksLive);
