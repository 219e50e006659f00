"""French text for the demo: captions, mentions, messages and reviews, filled from small phrase
banks with the generator's random draws. No real person, brand or account; and, on purpose, no
suggestion wording ("vous devriez", "ce serait bien", "suggestion"...) outside the planted ideas
in world.py, so an idea detector that fires elsewhere is wrong."""
from __future__ import annotations

import numpy as np

from . import world as W

HASHTAGS = ("#boulangerie", "#patisserie", "#faitmaison", "#artisan", "#viennoiserie", "#gourmandise",
            "#painaulevain", "#patisseriefrancaise", "#maisonbrindelle", "#instafood", "#foodporn", "#miam")
EMOJI = ("🥐", "🍰", "✨", "😋", "🎉", "🤍", "🍋", "🍓", "☕", "🥖", "👩‍🍳", "📍")
MATH_BOLD = "𝗡𝗢𝗨𝗩𝗘𝗔𝗨"  # Unicode mathematical sans-serif bold: NFKC turns it into NOUVEAU

CAPTIONS = (
    "{e} C'est le retour {de_p} dans nos huit boutiques ! Vous l'avez réclamé. {h}",
    "Dans le fournil de {c}, nos pâtissiers préparent {le_p} dès 4h du matin. {h}",
    "Notre secret pour {le_p} : du temps, du beurre AOP et beaucoup de patience. {e} {h}",
    "{m} : {le_p} de saison, en boutique dès demain matin. {e}",
    "Pause gourmande à {c} : {le_p} et un café, le duo parfait. {e} {h}",
    "On vous présente l'équipe de {c} ! Merci à elles et eux pour leur bonne humeur chaque matin. {e}",
    "{e} Samedi, dégustation gratuite {de_p} dans la boutique de {c}. Venez nombreux ! {h}",
    "Notre farine vient d'un moulin à 80 km de Paris : on la sent dans {le_p}. {h}",
    "Qui a déjà goûté {le_p} ? Dites-nous tout en commentaire ! {e}",
    "{e} JEU CONCOURS : gagnez un coffret gourmand ! Pour participer : abonnez-vous, likez et identifiez deux amis. {h}",
)
SEASONAL = {
    12: "{e} Les bûches sont arrivées : praliné noisette, fruits rouges ou chocolat, réservez la vôtre en boutique. {h}",
    1: "{e} La galette frangipane est là ! Qui trouvera la fève cette année ? {h}",
    2: "Chandeleur : nos crêpes au beurre salé vous attendent toute la semaine. {e}",
    4: "Pâques approche : œufs et moulages en chocolat faits maison dans toutes nos boutiques. {e} {h}",
    5: "Fête des mères : un fraisier pour lui dire merci. Commandes en boutique jusqu'à vendredi. {e}",
}
SHOP_CAPTIONS = (
    "{e} Commandez {le_p} en ligne et retirez en boutique : {u}",
    "Livraison à domicile à Paris et Lyon : nos coffrets sont sur {u} {e}",
)
LINKEDIN = (
    "Nous recrutons ! Pâtissier(ère) H/F en CDI à {c}. Postulez sur https://www.brindelle.fr/recrutement",
    "Depuis 2025, nos invendus sont remis chaque soir à des associations locales. Merci à nos équipes de {c}.",
    "Bienvenue à nos nouveaux apprentis boulangers de {c} : la transmission est au cœur de notre métier.",
    "Maison Brindelle ouvre une nouvelle boutique à {c}. 12 emplois créés dans le quartier.",
    "Retour sur notre séminaire annuel : 140 artisans réunis autour {de_p}.",
    "Notre cheffe pâtissière partage sa vision d'une pâtisserie de saison et locale.",
)
VIDEO_TITLES = (
    "Recette : {le_p} de nos chefs", "Visite du fournil de {c}", "Les coulisses {de_p}",
    "Dégustation à l'aveugle : {p}", "Un matin avec nos boulangers à {c}", "Comment réussir {le_p}",
)
CRISIS_STATEMENT = ("Information importante : par précaution, nous rappelons un lot de financiers aux amandes vendu "
                    "du 12 au 14 mars, qui peut contenir des traces de noisette non mentionnées. Remboursement dans "
                    "toutes nos boutiques. Nous vous présentons nos excuses.")

# --- mentions -------------------------------------------------------------------------------------------
MENTION_POSITIVE = (
    "{Le_p} de {b}, une merveille {e}", "Top 1 à {c} pour {le_p} : {b}, sans hésiter",
    "Commande {b} reçue à l'heure, {le_p} parfait pour l'anniversaire de ma mère",
    "Petit-déjeuner chez {b} {c} ce matin, toujours aussi bon {e}", "{b} a encore frappé avec {le_p} {e}",
    "Accueil au top chez {b} {c}, et {le_p} : incroyable", "Je ne passe plus devant {b} sans prendre {un_p}",
)
MENTION_NEUTRAL = (
    "{b} ouvre une boutique à {c}", "Quelqu'un a testé {le_p} de {b} ?", "Horaires de {b} {c} pendant les fêtes ?",
    "{b} lance {le_p} de saison", "Comparatif des galettes à {c} : {b} dans le top 5",
    "Vu chez {b} {c} : {le_p} à 4,90 €", "{b} recrute des pâtissiers à {c}",
)
MENTION_NEGATIVE = (
    "{Le_p} pas terrible cette fois chez {b}", "Trop cher, {le_p} chez {b}, pour la taille",
    "File d'attente interminable chez {b} {c} ce matin", "Déçue par {le_p} de {b}, pas à la hauteur",
)
MENTION_SERVICE = (
    "Commande {b} jamais livrée et service client injoignable", "3 jours de retard de livraison, aucune réponse de {b}",
    "Remboursement toujours pas reçu après 4 semaines, {b} ne répond pas",
    "Colis {b} arrivé écrasé, le service client ne répond pas aux mails",
    "Ça fait 40 minutes que j'attends au téléphone le service client de {b}",
    "{b} a annulé ma commande la veille de Noël sans prévenir, merci le service client",
)
MENTION_CRISIS = (
    "Rappel produit chez {b} : des financiers avec noisettes non déclarées, c'est grave pour les allergiques",
    "Mon fils allergique a fait une réaction après un financier {b}, on attend des explications",
    "{b} doit s'expliquer sur ce rappel de lot, trois jours après les faits",
    "Je lis le fil de @{a} sur {b}, inquiétant", "RT @{a} : {b} et les allergènes, le fil complet",
    "Après le rappel de {b}, je n'achète plus leurs financiers",
)
CRISIS_ORIGIN = ("ENQUÊTE. Des financiers {b} vendus avec des traces de noisette non déclarées : un enfant "
                 "allergique hospitalisé. Le fil complet.")
MENTION_PINTEREST = (
    "Pièce montée {b} pour notre mariage {e}", "Table de goûter d'anniversaire avec {le_p} de {b}",
    "Inspiration brunch : viennoiseries {b}", "{Le_p} de {b} en photo {e}",
    "Buffet de Noël : bûche {b} et macarons",
)
TITLES = ("", "", "", "Les meilleures boulangeries de {c}", "Notre avis sur {b}", "{b} : le test",
          "Rappel de produits alimentaires")

# --- inbox, reviews, survey -------------------------------------------------------------------------------
INBOX_QUESTION = (
    "Bonjour, livrez-vous à {c} le dimanche ?", "La galette existe-t-elle sans fruits à coque ?",
    "Quels sont vos horaires le 24 décembre à {c} ?", "Peut-on commander une bûche pour 12 personnes ?",
    "Ma commande n°{n} est-elle partie ?", "Y a-t-il des œufs dans {le_p} ?", "Avez-vous des places en apprentissage ?",
    "Faites-vous des gâteaux personnalisés pour un anniversaire ?", "La boutique de {c} accepte-t-elle les titres-restaurant ?",
)
INBOX_COMPLAINT = (
    "Ma commande n°{n} est arrivée abîmée.", "Produit rassis ce matin à {c} ({le_p}).",
    "Personne ne répond au téléphone à {c}.", "J'ai été débitée deux fois pour la commande n°{n}.",
    "Livraison prévue hier, toujours rien.",
)
INBOX_OTHER = (
    "Merci pour l'accueil à {c} !", "Merci pour {le_p}, délicieux, bravo à l'équipe.", "Trop beau {e}", "Miam {e}",
    "Vivement la saison des galettes !", "Toujours un plaisir de passer à {c}.",
)
INBOX_CRISIS = (
    "Le lot de financiers acheté le 13 mars est-il concerné par le rappel ?",
    "Mon enfant est allergique, comment être sûr que vos produits sont sans noisette ?",
    "Scandaleux, trois jours pour prévenir les clients.",
)
TOPICS = {"question": ("livraison", "horaires", "commande", "produit", "allergènes", "recrutement"),
          "complaint": ("livraison", "qualité", "commande", "paiement", "accueil"),
          "other": ("compliment", "autre")}
REVIEW_POSITIVE = (
    "Excellente boulangerie, {le_p} : le meilleur du quartier.", "Personnel adorable et viennoiseries parfaites.",
    "{Le_p} ? Un détour qui vaut la peine. Un peu d'attente le dimanche.", "Toujours frais, toujours bon. Merci !",
    "Commande en ligne simple, retrait rapide à {c}.",
)
REVIEW_MIXED = ("Goûté {le_p} : bon, mais prix en hausse.", "Correct, sans plus ({le_p} un peu sec).",
                "Produits bons, accueil variable selon les jours.")
REVIEW_NEGATIVE = ("Attente très longue et vendeuse désagréable.", "Bûche commandée, pas prête à l'heure prévue.",
                   "Pas de fraîcheur pour {le_p}, déçu.", "Commande livrée en retard et incomplète.")
REPLIES = ("Merci pour votre avis, à très bientôt !", "Merci beaucoup, nous transmettons à l'équipe de {c}.",
           "Nous sommes désolés, pouvez-vous nous écrire à bonjour@brindelle.fr ?")
SURVEY_COMMENTS = ("", "", "", "Très bon rapport qualité-prix.", "J'adore les galettes.", "Service rapide.",
                   "Un peu cher mais excellent.", "Le site de commande est pratique.", "Accueil chaleureux.")

FIRST = ("Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Emma", "Lucas", "Hugo", "Louis", "Nathan",
         "Thomas", "Antoine", "Claire", "Sophie", "Pauline", "Marion", "Mathilde", "Elodie", "Nicolas", "Julien",
         "Romain", "Maxime", "Aurélie", "Céline", "Laure", "Bastien", "Yanis", "Nora")
LAST = ("Morel", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
        "Perrin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
        "Sanchez", "Noël", "Boyer", "Lemoine", "Caron", "Picard", "Roger", "Brun", "Giraud", "Aubert")
BLOGS = ("La Cuillère Voyageuse", "Miettes & Merveilles", "Le Carnet Sucré", "Gourmandises du Samedi",
         "Beurre et Farine", "La Tablée Curieuse", "Croûte Dorée", "Le Goûter Parisien")
NEWS = ("actu-gourmande-fictive.fr", "lyon-quotidien-fictif.fr", "gazette-du-nord-fictive.fr",
        "echo-bordelais-fictif.fr", "journal-des-saveurs-fictif.fr")
BLOG_DOMAINS = ("cuillere-voyageuse.fr", "miettes-et-merveilles.fr", "carnet-sucre.fr", "gourmandises-samedi.fr",
                "beurre-et-farine.fr", "tablee-curieuse.fr", "croute-doree.fr", "gouter-parisien.fr")


def _forms(name: str, gender: str) -> dict[str, str]:
    vowel = name[0] in "aeéèêiouh"
    le = {"m": "l'" if vowel else "le ", "f": "l'" if vowel else "la ", "p": "les "}[gender]
    de = {"m": "de l'" if vowel else "du ", "f": "de l'" if vowel else "de la ", "p": "des "}[gender]
    un = {"m": "un ", "f": "une ", "p": "des "}[gender]
    return {"p": name, "le_p": le + name, "Le_p": (le + name)[0].upper() + (le + name)[1:], "de_p": de + name,
            "un_p": un + name}


FORMS = tuple(_forms(n, g) for n, g in W.PRODUCT_FORMS)


def person(r: np.random.Generator, n: int, handle_share: float = 0.6) -> list[str]:
    """Invented authors: a lowercase handle, or 'Prénom Nom'; one in ten is a regular who
    talks about bakeries again and again."""
    f = r.integers(0, len(FIRST), n)
    l = r.integers(0, len(LAST), n)
    k = r.integers(100, 999, n)
    h = r.random(n) < handle_share
    regular = r.random(n) < 0.1
    names = [f"{FIRST[a].lower()}_{LAST[b].lower()}{c}" if hh else f"{FIRST[a]} {LAST[b]}"
             for a, b, c, hh in zip(f, l, k, h)]
    pick = r.integers(0, len(REGULARS), n)
    return [REGULARS[p] if reg else name for name, reg, p in zip(names, regular, pick)]


REGULARS = tuple(f"{FIRST[i].lower()}.{LAST[(7 * i) % len(LAST)].lower()}.gourmand" for i in range(0, len(FIRST), 2))


def fill(templates: tuple[str, ...], idx: np.ndarray, r: np.random.Generator, brand: str = W.BRAND,
         author: str = W.CRISIS_AUTHOR_HANDLE, url: str = W.SHOP_URL) -> list[str]:
    """One text per index, with product, city, emoji, hashtags and order number drawn from `r`."""
    n = len(idx)
    p = r.integers(0, len(W.PRODUCTS), n)
    c = r.integers(0, len(W.CITIES), n)
    e = r.integers(0, len(EMOJI), n)
    h1 = r.integers(0, len(HASHTAGS), n)
    h2 = r.integers(0, len(HASHTAGS), n)
    num = r.integers(10000, 99999, n)
    sec = r.integers(0, len(W.SHOP_SECTIONS), n)
    return [templates[i].format(**FORMS[pp], c=W.CITIES[cc], e=EMOJI[ee], h=f"{HASHTAGS[a]} {HASHTAGS[b]}",
                                b=brand, m=MATH_BOLD, a=author, n=nn, u=f"{url}/{W.SHOP_SECTIONS[s]}")
            for i, pp, cc, ee, a, b, nn, s in zip(idx, p, c, e, h1, h2, num, sec)]
