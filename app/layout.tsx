import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "@/components/providers";

export const metadata: Metadata = {
  title: "EManager",
  description: "Execution manager for many-task workloads on HPC machines",
  // public/: the icon in SVG (any size) and as a PNG/ICO for browsers and home screens that want one
  icons: {
    icon: [
      { url: "/icon.svg", type: "image/svg+xml" },
      { url: "/favicon.ico", sizes: "32x32" },
    ],
    apple: "/icon-192.png",
  },
  manifest: "/manifest.webmanifest",
};

// The theme attribute is set before paint from localStorage, so a dark-mode user never sees a white flash.
const themeScript = `try{var t=localStorage.getItem("em-theme");if(t==="dark"||t==="light")document.documentElement.dataset.theme=t}catch(e){}`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
