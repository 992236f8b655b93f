// Masking for people who need not see a whole phone number or licence plate.

/** 13812345678 → 138****5678 */
export function maskPhone(phone: string | undefined): string | undefined {
  if (!phone) return undefined;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** 粤B12345 → 粤B***45 */
export function maskPlate(plate: string | undefined): string | undefined {
  if (!plate) return undefined;
  return plate.length > 4 ? `${plate.slice(0, 2)}***${plate.slice(-2)}` : '***';
}

/** 402 → 4**: the floor helps a volunteer judge the trip, the door number stays private. */
export function maskRoom(room: string | undefined): string | undefined {
  if (!room) return undefined;
  return room.length > 1 ? `${room.slice(0, 1)}${'*'.repeat(Math.min(room.length - 1, 3))}` : '*';
}
