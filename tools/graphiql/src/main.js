// Entry point for the offline GraphiQL bundle.
// Bundles React, ReactDOM and GraphiQL into one IIFE and exposes the few
// pieces the page needs on window.RegistryGraphiQL. The page-specific logic
// (fetcher, token handling) lives in Registry.Api/wwwroot/graphiql/index.html
// so it can be tweaked without rebuilding this bundle.
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';

window.RegistryGraphiQL = { React, createRoot, GraphiQL };
